const Core = require('clustercore');

class AppMain extends Core.AppMain {
  /**
   * 进程初始化完成
   * @override
   */
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    // 在主进程中创建键名为processDetail的field,并推入主进程信息
    if (processId === 'M') {
      // 首先创建键名processDetail指向的field
      Core.ClusterCore.setGlobalObject('processDetail', [], (err) => {
        if (err) {
          return;
        }
        // 在创建首层field成功后推入主进程信息并派生子进程
        Core.ClusterCore.setGlobalObject(
          ['processDetail', Core.Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH],
          { processId, processPid: process.pid }
        );
        Core.ClusterCore.fork(4);
      });
    }
    // 子进程中将子进程信息推入processDetail指向的field
    else {
      Core.ClusterCore.setGlobalObject(
        ['processDetail', Core.Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH],
        { processId, processPid: process.pid }
      );
    }

    // 自定义读取全局对象
    setTimeout(() => {
      // 定义读取规则中依赖的外部变量为资源上下文
      const context = { processId };
      Core.ClusterCore.queryGlobalObject(
        // 设置外部资源上下文
        context,
        // 设置自定义读取规则
        (globalObject, context) => {
          const { processId } = context;
          const { processDetail } = globalObject;
          return processDetail.find((detail) => detail.processId === processId);
        },
        // 处理读取结果
        (err, value) => {
          if (err) {
            return;
          }
          console.log(`当前进程的信息 -> ${JSON.stringify(value)}`);
        });
    }, 1000);
  }
}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
