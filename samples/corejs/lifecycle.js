const Core = require('clustercore');

/**
 * 实现AppMain
 */
class AppMain extends Core.AppMain {
  /**
   * 进程初始化完成
   * @override
   */
  onProcessDidInit(processId, launchParams) {
    // 重写时必须执行super操作
    super.onProcessDidInit(processId, launchParams);

    // 在Master进程初始化完成后 - 创建4个Worker进程
    if (processId === 'M') {
      console.log(`Master进程初始化完成`);
      Core.ClusterCore.fork(4);
    }
    // 在Worker进程初始化完成后 - 执行业务逻辑
    else {
      console.log(`Worker进程初始化完成 -> ${processId}`);
      // 模拟worker进程退出触发重启
      setTimeout(() => { process.exit() }, 1500);
    }
  }

  /**
   * Worker进程退出
   * @override
   */
  onWorkerProcessDidExit(exitedProcessId, exitedDetail, reboot) {
    // 在worker进程退出时自动重启
    reboot();
  }
}

// 初始化并启动ClusterCore
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
