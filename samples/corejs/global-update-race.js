const Core = require('clustercore');

class AppMain extends Core.AppMain {
  /**
   * 进程初始化完成
   * @override
   */
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    // 在主进程中设置资源总数为9
    // 创建8个Worker进程对资源进行竞争
    if (processId === 'M') {
      Core.ClusterCore.setGlobalObject('totalCount', 9, (err) => {
        if (err) {
          return;
        }
        Core.ClusterCore.fork(8);
      });
    }
    // 在子进程中竞争资源,并关闭未获得资源的进程
    // 偏移为奇数的进程占用1个资源
    // 偏移为偶数的进程占用2个资源
    else {
      // 计算进程偏移并定义更新规则依赖的资源上下文
      const processOffset = parseInt(processId.split(':').pop());
      const context = { processOffset };
      Core.ClusterCore.updateGlobalObject(
        // 设置外部资源上下文
        context,
        // 设置自定义更新规则
        (globalObject, context) => {
          let { totalCount } = globalObject;
          const { processOffset } = context;

          // 根据进程偏移尝试对资源进行预占位
          if (processOffset % 2) {
            totalCount -= 1;
          } else {
            totalCount -= 2;
          }

          // 当资源不足时抛出异常,不改变全局对象
          if (totalCount < 0) {
            throw new Error('资源不足');
          }
          // 资源预占位成功时更新全局对象扣除对应的资源
          else {
            return {
              ...globalObject,
              totalCount,
            };
          }
        },
        // 处理更新结果
        (err, globalObject) => {
          // 当更新全局对象失败时说明竞争资源失败,退出进程
          err && process.exit();
          console.log(`进程[${processId}]获取资源成功，当前剩余资源 -> ${globalObject.totalCount}`);
        }
      )
    }
  }

  /**
   * Worker进程退出
   * @override
   */
  onWorkerProcessDidExit(exitedProcessId, exitedDetail, reboot) {
    console.log(`进程[${exitedProcessId}]因未获取到资源退出`);
  }

}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
